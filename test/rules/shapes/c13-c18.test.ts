import { CASES } from './c13-c18';
import { describeShapes } from '../rule-shapes';

describeShapes(CASES);
