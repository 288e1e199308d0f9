import type { Report } from './scaleKit';

/** Not written yet (issue 15). */
export async function queueModeE2e(report: Report): Promise<void> {
	report.skip('queue', 'not written yet');
}
