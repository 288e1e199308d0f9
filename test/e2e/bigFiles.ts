import type { Report } from './scaleKit';

/** Not written yet (issue 15). */
export async function bigFilesE2e(report: Report): Promise<void> {
	report.skip('bigFiles', 'not written yet');
}
