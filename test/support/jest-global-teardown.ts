import { teardown } from './jest-temp-dir';

export default teardown;
