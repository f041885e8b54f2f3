import { setup } from './jest-temp-dir';

export default setup;
