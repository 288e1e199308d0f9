#!/usr/bin/env node
/**
 * The README's operations table, generated from the built node descriptions (dist/), so it cannot drift from
 * what the node does: `npm run docs:operations` rewrites the block between the markers; test/readme.test.ts fails
 * when the README differs from what this gives.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const START = '<!-- operations:start -->';
const END = '<!-- operations:end -->';

/**
 * A routing URL as `/chats/{chatId}/messages`. URLs are n8n expressions; each `{{ … }}` is evaluated with every
 * parameter it reads standing for itself (`{name}`). A parameter that is optional or a boolean may change the
 * path (Message → Get Many with or without a chat), so each such parameter is tried both set and unset.
 */
function renderUrl(url, shownProperties) {
	const template = url.startsWith('=') ? url.slice(1) : url;
	const names = [...new Set([...template.matchAll(/\$parameter\["(\w+)"\]/g)].map((match) => match[1]))];
	const optional = names.filter((name) =>
		shownProperties.some((p) => p.name === name && (p.type === 'boolean' || !p.required)),
	);
	const urls = new Set();
	for (let mask = 0; mask < 2 ** optional.length; mask++) {
		const parameters = {};
		for (const name of names) parameters[name] = `{${name}}`;
		optional.forEach((name, bit) => {
			if (!(mask & (2 ** bit))) parameters[name] = '';
		});
		const rendered = template.replace(/\{\{([\s\S]*?)\}\}/g, (_, code) =>
			String(new Function('$parameter', 'encodeURIComponent', `return (${code});`)(parameters, (v) => v)),
		);
		if (!rendered.includes('/{}') && !rendered.includes('//')) urls.add(rendered);
	}
	return [...urls].sort((a, b) => b.length - a.length);
}

/** An operation's call on Unipile API v2 from the node's v2 table (a route chosen by a switch is shown both ways). */
function v2Calls(route) {
	if (typeof route === 'function') return route.calls.map((call) => `\`${call.replace(' ', ' /v2')}\``).join(' or ');
	if (!route || 'unavailable' in route) return '— (not in v2)';
	if (route.docs) return route.docs;
	const paths = typeof route.path === 'function' ? [...new Set([true, false].map((on) => route.path({ getNodeParameter: () => on })))] : [route.path];
	return paths.map((path) => `\`${route.method} /v2${path}\``).join(' or ');
}

function operationsTable(unipile, v2Routes) {
	const properties = unipile.description.properties;
	const resources = properties.find((p) => p.name === 'resource').options;
	const rows = v2Routes
		? ['| Resource | Operation | Unipile API v1 call | Unipile API v2 call |', '| --- | --- | --- | --- |']
		: ['| Resource | Operation | Unipile call |', '| --- | --- | --- |'];
	for (const resource of resources) {
		// A resource may have one Operation list per API (v2 adds operations): every operation once, in order.
		const lists = properties.filter((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value));
		const onV1 = (list) => !list.displayOptions?.show?.authentication || list.displayOptions.show.authentication.includes('unipileApi');
		const operations = { options: [...new Map(lists.flatMap((list) => list.options).map((option) => [option.value, option])).values()].sort((a, b) => a.name.localeCompare(b.name)) };
		for (const operation of operations.options) {
			const v2Only = !lists.some((list) => onV1(list) && list.options.some((option) => option.value === operation.value));
			const { method, url } = operation.routing.request;
			const shown = properties.filter((p) => {
				const show = p.displayOptions?.show ?? {};
				return show.resource?.includes(resource.value) && (!show.operation || show.operation.includes(operation.value));
			});
			const calls = v2Only ? ['— (v2 only)'] : renderUrl(url, shown).map((path) => `\`${method} ${path}\``);
			const v2 = v2Routes ? ` ${v2Calls(v2Routes[resource.value]?.[operation.value])} |` : '';
			rows.push(`| ${resource.name} | ${operation.name} | ${calls.join(' or ')} |${v2}`);
		}
	}
	return rows.join('\n');
}

function triggerOptions(trigger) {
	const lines = ['**Unipile Polling Trigger** polls `GET /messages` (or `GET /chats/{chatId}/messages`), or with Watch → New Emails `GET /emails` of each mailbox; on Unipile API v2, per account, `GET /v2/{accountId}/chats` then `GET /v2/{accountId}/chats/{chatId}/messages` of each chat active inside the lookback window, and with New Emails `GET /v2/{accountId}/folders` then `GET /v2/{accountId}/folders/{folderId}/emails` (or `GET /v2/{accountId}/emails`) of each mailbox (see [The trigger\'s guarantees](#the-triggers-guarantees)). Its settings:', ''];
	for (const property of trigger.description.properties) {
		if (property.type === 'collection') {
			for (const option of property.options) lines.push(`- ${property.displayName} → **${option.displayName}**: ${option.description}`);
		} else if (property.description) {
			const text = [property.description.replace(/<[^>]+>/g, ''), property.hint].filter(Boolean);
			lines.push(`- **${property.displayName}**: ${text.map((t) => (t.endsWith('.') ? t : `${t}.`)).join(' ')}`);
		}
	}
	return lines.join('\n');
}

/** Another action node's table, under its name (with its v2 column when the node is on both APIs). */
function nodeTable(node) {
	const v2Routes =
		node.description.name === 'unipileLinkedIn'
			? require(join(ROOT, 'dist/nodes/UnipileLinkedIn/UnipileLinkedIn.node.js')).LINKEDIN_V2_ROUTES
			: node.description.name === 'unipileEmail'
				? require(join(ROOT, 'dist/nodes/UnipileEmail/UnipileEmail.node.js')).EMAIL_V2_ROUTES
				: node.description.name === 'unipileCalendar'
					? require(join(ROOT, 'dist/nodes/UnipileCalendar/UnipileCalendar.node.js')).CALENDAR_V2_ROUTES
					: undefined;
	return `**${node.description.displayName}** (\`${node.description.name}\`, same credential):\n\n${operationsTable(node, v2Routes)}`;
}

/** The generated block, markers included: the Unipile node, the trigger's settings, then the other action nodes. */
function operationsSection(unipile, trigger, ...actionNodes) {
	const others = actionNodes.map((node) => `\n\n${nodeTable(node)}`).join('');
	const { UNIPILE_V2_ROUTES } = require(join(ROOT, 'dist/nodes/Unipile/Unipile.node.js'));
	return `${START}\n${operationsTable(unipile, UNIPILE_V2_ROUTES)}\n\n${triggerOptions(trigger)}${others}\n${END}`;
}

/** The README with its operations block replaced. */
function withOperations(readme, section) {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start === -1 || end === -1 || end < start) throw new Error(`README.md has no ${START} … ${END} block`);
	return readme.slice(0, start) + section + readme.slice(end + END.length);
}

function builtNodes() {
	const { Unipile } = require(join(ROOT, 'dist/nodes/Unipile/Unipile.node.js'));
	const { UnipilePollingTrigger } = require(join(ROOT, 'dist/nodes/UnipilePollingTrigger/UnipilePollingTrigger.node.js'));
	const { UnipileEmail } = require(join(ROOT, 'dist/nodes/UnipileEmail/UnipileEmail.node.js'));
	const { UnipileLinkedIn } = require(join(ROOT, 'dist/nodes/UnipileLinkedIn/UnipileLinkedIn.node.js'));
	const { UnipileCalendar } = require(join(ROOT, 'dist/nodes/UnipileCalendar/UnipileCalendar.node.js'));
	return { unipile: new Unipile(), trigger: new UnipilePollingTrigger(), actionNodes: [new UnipileEmail(), new UnipileLinkedIn(), new UnipileCalendar()] };
}

module.exports = { START, END, operationsSection, withOperations, builtNodes };

if (require.main === module) {
	const { unipile, trigger, actionNodes } = builtNodes();
	const path = join(ROOT, 'README.md');
	writeFileSync(path, withOperations(readFileSync(path, 'utf8'), operationsSection(unipile, trigger, ...actionNodes)));
	console.log('README.md: operations table regenerated from dist/');
}
