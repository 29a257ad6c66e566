/**
 * Grades: the rubric that turns a scenario's figures and SLOs into a letter with a reason, the
 * overall grade per target, and grade letters as the CLI takes them (`--fail-under`).
 */
export { BANDS, NO_PERF_SLO_CAP, bandFor, gradeScenario, type Band, type GradeInput, type Slo } from './rubric.ts';
export { overallGrade, type NamedGrade } from './overall.ts';
export { GRADE_LETTERS, gradeBelow, gradeLetterOf, gradeRank, worseGrade, type GradeLetter } from './letters.ts';
export { CLIENT_BOUND_EXPLANATION, CLIENT_BOUND_RATIO, NOOP_KIND, ceilingMark, clientBoundText, fmtCeilingRatio, isNoopKind, type CeilingMark } from './ceiling.ts';
