/**
 * A small, strict multipart/form-data parser (RFC 7578). Anything malformed throws a MultipartError:
 * missing/invalid boundary, a body that does not start with the first delimiter, parts without a
 * `Content-Disposition: form-data; name=...` header, headers without the blank line, or a missing close delimiter.
 */

export class MultipartError extends Error {}

export interface MultipartTextField {
	kind: 'field';
	name: string;
	value: string;
}

export interface MultipartFile {
	kind: 'file';
	name: string;
	fileName: string;
	/** As declared by the part's Content-Type header (undefined when absent). */
	contentType: string | undefined;
	bytes: Buffer;
}

export type MultipartPart = MultipartTextField | MultipartFile;

/** The boundary of a multipart/form-data content type, or undefined if the type is not multipart/form-data. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
	if (!contentType) return undefined;
	const [type, ...params] = contentType.split(';');
	if (type.trim().toLowerCase() !== 'multipart/form-data') return undefined;
	for (const p of params) {
		const eq = p.indexOf('=');
		if (eq < 0) continue;
		if (p.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
		let v = p.slice(eq + 1).trim();
		if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
		return v;
	}
	return '';
}

export function isMultipart(contentType: string | undefined): boolean {
	return multipartBoundary(contentType) !== undefined;
}

function parseDisposition(value: string): { type: string; params: Record<string, string> } {
	// form-data; name="a"; filename="b.txt"   (quoted-strings may contain ';')
	const params: Record<string, string> = {};
	let i = value.indexOf(';');
	const type = (i < 0 ? value : value.slice(0, i)).trim().toLowerCase();
	while (i >= 0 && i < value.length) {
		i++;
		while (value[i] === ' ' || value[i] === '\t') i++;
		const eq = value.indexOf('=', i);
		if (eq < 0) {
			if (value.slice(i).trim() === '') break;
			throw new MultipartError(`malformed Content-Disposition parameter: ${value.slice(i)}`);
		}
		const key = value.slice(i, eq).trim().toLowerCase();
		let j = eq + 1;
		let v = '';
		if (value[j] === '"') {
			j++;
			while (j < value.length && value[j] !== '"') {
				if (value[j] === '\\' && j + 1 < value.length) j++;
				v += value[j];
				j++;
			}
			if (value[j] !== '"') throw new MultipartError('unterminated quoted string in Content-Disposition');
			j++;
			while (value[j] === ' ' || value[j] === '\t') j++;
			if (j < value.length && value[j] !== ';') throw new MultipartError('malformed Content-Disposition');
		} else {
			const end = value.indexOf(';', j);
			v = (end < 0 ? value.slice(j) : value.slice(j, end)).trim();
			j = end < 0 ? value.length : end;
		}
		params[key] = v;
		i = j < value.length ? j : -1;
	}
	return { type, params };
}

function decodeName(v: string): string {
	// Browsers/undici percent-encode '"', CR and LF in names (WHATWG); decode exactly those.
	return v.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}

/** Parses a multipart/form-data body. Throws MultipartError on anything malformed. */
export function parseMultipart(contentType: string | undefined, body: Buffer): MultipartPart[] {
	const boundary = multipartBoundary(contentType);
	if (boundary === undefined) throw new MultipartError('content type is not multipart/form-data');
	if (!boundary || boundary.length > 70 || /[^0-9A-Za-z'()+_,\-./:=? ]/.test(boundary) || boundary.endsWith(' '))
		throw new MultipartError('missing or invalid multipart boundary');
	const delimiter = Buffer.from(`--${boundary}`, 'latin1');
	const crlfDelimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
	if (body.length < delimiter.length || !body.subarray(0, delimiter.length).equals(delimiter))
		throw new MultipartError('body does not start with the multipart boundary');
	const parts: MultipartPart[] = [];
	let pos = delimiter.length;
	for (;;) {
		// After a delimiter: "--" (close) or CRLF (a part follows). Transport padding (spaces/tabs) is allowed.
		while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) {
			const rest = body.subarray(pos + 2);
			if (rest.length > 0 && !(rest[0] === 0x0d && rest[1] === 0x0a)) throw new MultipartError('garbage after the close delimiter');
			return parts;
		}
		if (!(body[pos] === 0x0d && body[pos + 1] === 0x0a)) throw new MultipartError('malformed delimiter line');
		pos += 2;
		const headerEnd = body.indexOf('\r\n\r\n', pos, 'latin1');
		// A part may have no headers at all only in theory; form-data requires Content-Disposition.
		if (headerEnd < 0) throw new MultipartError('part headers are not terminated');
		const headerText = body.subarray(pos, headerEnd).toString('utf8');
		const headers: Record<string, string> = {};
		for (const line of headerText.split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon <= 0) throw new MultipartError(`malformed part header: ${JSON.stringify(line.slice(0, 80))}`);
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const cd = headers['content-disposition'];
		if (!cd) throw new MultipartError('part without Content-Disposition');
		const disp = parseDisposition(cd);
		if (disp.type !== 'form-data') throw new MultipartError('Content-Disposition is not form-data');
		if (disp.params.name === undefined) throw new MultipartError('part without a name');
		const dataStart = headerEnd + 4;
		const next = body.indexOf(crlfDelimiter, dataStart);
		if (next < 0) throw new MultipartError('missing close delimiter');
		const data = body.subarray(dataStart, next);
		const name = decodeName(disp.params.name);
		let fileName: string | undefined;
		if (disp.params['filename*'] !== undefined) {
			const m = /^([^']*)'[^']*'(.*)$/.exec(disp.params['filename*']);
			if (!m) throw new MultipartError('malformed filename*');
			try {
				fileName = decodeURIComponent(m[2]);
			} catch {
				throw new MultipartError('malformed filename*');
			}
		} else if (disp.params.filename !== undefined) {
			fileName = decodeName(disp.params.filename);
		}
		if (fileName !== undefined) {
			parts.push({ kind: 'file', name, fileName, contentType: headers['content-type'], bytes: Buffer.from(data) });
		} else {
			parts.push({ kind: 'field', name, value: data.toString('utf8') });
		}
		pos = next + crlfDelimiter.length;
	}
}
