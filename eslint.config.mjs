import { config } from '@n8n/node-cli/eslint';

export default [{ ignores: ['test/**', 'dist/**', 'bench/**', 'examples/**', 'gulpfile.js', 'jest.config.js'] }, ...config];
