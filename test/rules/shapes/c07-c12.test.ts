import { CASES } from './c07-c12';
import { describeShapes } from '../rule-shapes';

describeShapes(CASES);
