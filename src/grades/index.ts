/**
 * Grades: the rubric that turns a scenario's figures and SLOs into a letter with a reason
 * (`rubric.ts`), the one place every caller gets a scenario's grade from (`scenario-grade.ts`),
 * the headline p99 it judges, the overall grade per target, and grade letters.
 */
export { BANDS, NO_PERF_SLO_CAP, bandFor, gradeCause, gradeCauseText, gradeScenario, type Band, type GradeInput, type Slo } from './rubric.ts';
export { overallGrade, type NamedGrade } from './overall.ts';
export { GRADE_LETTERS, gradeBelow, gradeLetterOf, gradeRank, worseGrade, type GradeLetter } from './letters.ts';
export { gradeOutcome, gradeOfEnd, cutOffGrade, type ScenarioFigures } from './scenario-grade.ts';
export { headlineLatency, headlineP99Ms, type HeadlineLatency } from './headline.ts';
