import { CASES } from './c01-c06';
import { describeShapes } from '../rule-shapes';

describeShapes(CASES);
