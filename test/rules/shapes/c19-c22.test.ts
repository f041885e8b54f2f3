import { CASES } from './c19-c22';
import { describeShapes } from '../rule-shapes';

describeShapes(CASES);
