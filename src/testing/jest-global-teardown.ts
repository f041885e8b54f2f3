import { teardown } from './jest-temp-dir';

/** Jest `globalTeardown`: removes the run's temporary directory (see jest-temp-dir). */
export default teardown;
