const path = require('path');
const { task, src, dest } = require('gulp');

// n8n resolves `file:` icons relative to the compiled node/credential files, so the SVGs travel into dist/.
task('build:icons', copyIcons);

function copyIcons() {
	return src(path.resolve('icons', '*.svg'), { encoding: false }).pipe(dest(path.resolve('dist', 'icons')));
}

// n8n serves a node's output schemas from `__schema__` next to the compiled node file (dist/nodes/X/__schema__/…).
task('build:schemas', copySchemas);

function copySchemas() {
	return src('nodes/*/__schema__/**/*.json', { encoding: false }).pipe(dest(path.resolve('dist', 'nodes')));
}
