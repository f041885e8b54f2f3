import { setup } from './jest-temp-dir';

/** Jest `globalSetup`: gives the run its own temporary directory (see jest-temp-dir). */
export default setup;
