import { createHash, type Hash } from 'node:crypto';

/**
 * A small, strict, streaming multipart/form-data parser (RFC 7578). Anything malformed throws a MultipartError:
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
	/** The content, when kept (`kept`); empty for a file beyond what the parser keeps in memory. */
	bytes: Buffer;
	kept: boolean;
	size: number;
	sha256: string;
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

function parsePartHeaders(headerText: string): { name: string; fileName: string | undefined; contentType: string | undefined } {
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
	return { name: decodeName(disp.params.name), fileName, contentType: headers['content-type'] };
}

const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Parses a multipart body as it arrives (`write` each chunk, then `end`). Files are hashed on the way; their bytes are
 * kept only while all kept files fit in `keepBytes`, so a 100 MB upload is checked without being held in memory.
 */
export class MultipartParser {
	readonly parts: MultipartPart[] = [];
	private readonly delimiter: Buffer;
	private readonly crlfDelimiter: Buffer;
	private state: 'start' | 'afterDelimiter' | 'headers' | 'data' | 'done' = 'start';
	private pending: Buffer = Buffer.alloc(0);
	private kept = 0;
	private current?: { name: string; fileName?: string; contentType?: string; chunks: Buffer[]; hash?: Hash; size: number; kept: boolean };

	constructor(
		contentType: string | undefined,
		private readonly keepBytes = Infinity,
	) {
		const boundary = multipartBoundary(contentType);
		if (boundary === undefined) throw new MultipartError('content type is not multipart/form-data');
		if (!boundary || boundary.length > 70 || /[^0-9A-Za-z'()+_,\-./:=? ]/.test(boundary) || boundary.endsWith(' '))
			throw new MultipartError('missing or invalid multipart boundary');
		this.delimiter = Buffer.from(`--${boundary}`, 'latin1');
		this.crlfDelimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
	}

	write(chunk: Buffer): void {
		this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
		this.advance();
	}

	end(): MultipartPart[] {
		this.advance();
		switch (this.state) {
			case 'start':
				throw new MultipartError('body does not start with the multipart boundary');
			case 'afterDelimiter':
				throw new MultipartError('malformed delimiter line');
			case 'headers':
				throw new MultipartError('part headers are not terminated');
			case 'data':
				throw new MultipartError('missing close delimiter');
			case 'done':
				if (this.pending.length > 0 && !(this.pending[0] === 0x0d && this.pending[1] === 0x0a)) throw new MultipartError('garbage after the close delimiter');
				return this.parts;
		}
	}

	private advance(): void {
		for (;;) {
			const buf = this.pending;
			if (this.state === 'start') {
				if (buf.length < this.delimiter.length) return;
				if (!buf.subarray(0, this.delimiter.length).equals(this.delimiter)) throw new MultipartError('body does not start with the multipart boundary');
				this.pending = buf.subarray(this.delimiter.length);
				this.state = 'afterDelimiter';
			} else if (this.state === 'afterDelimiter') {
				// After a delimiter: "--" (close) or CRLF (a part follows). Transport padding (spaces/tabs) is allowed.
				let pos = 0;
				while (buf[pos] === 0x20 || buf[pos] === 0x09) pos++;
				if (buf.length < pos + 2) return;
				if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) {
					this.pending = buf.subarray(pos + 2);
					this.state = 'done';
					return;
				}
				if (!(buf[pos] === 0x0d && buf[pos + 1] === 0x0a)) throw new MultipartError('malformed delimiter line');
				this.pending = buf.subarray(pos + 2);
				this.state = 'headers';
			} else if (this.state === 'headers') {
				const headerEnd = buf.indexOf('\r\n\r\n', 0, 'latin1');
				if (headerEnd < 0) {
					if (buf.length > MAX_HEADER_BYTES) throw new MultipartError('part headers are not terminated');
					return;
				}
				const { name, fileName, contentType } = parsePartHeaders(buf.subarray(0, headerEnd).toString('utf8'));
				this.current = { name, fileName, contentType, chunks: [], size: 0, kept: true, hash: fileName === undefined ? undefined : createHash('sha256') };
				this.pending = buf.subarray(headerEnd + 4);
				this.state = 'data';
			} else if (this.state === 'data') {
				const next = buf.indexOf(this.crlfDelimiter);
				if (next < 0) {
					// Keep what could be the start of the delimiter; the rest is content.
					const safe = buf.length - (this.crlfDelimiter.length - 1);
					if (safe > 0) {
						this.content(buf.subarray(0, safe));
						this.pending = buf.subarray(safe);
					}
					return;
				}
				this.content(buf.subarray(0, next));
				this.finishPart();
				this.pending = buf.subarray(next + this.crlfDelimiter.length);
				this.state = 'afterDelimiter';
			} else {
				return;
			}
		}
	}

	private content(data: Buffer): void {
		const part = this.current!;
		part.size += data.length;
		part.hash?.update(data);
		if (!part.kept) return;
		if (part.hash && this.kept + data.length > this.keepBytes) {
			this.kept -= part.chunks.reduce((n, c) => n + c.length, 0);
			part.chunks = [];
			part.kept = false;
			return;
		}
		part.chunks.push(Buffer.from(data));
		if (part.hash) this.kept += data.length;
	}

	private finishPart(): void {
		const part = this.current!;
		this.current = undefined;
		const data = Buffer.concat(part.chunks);
		if (part.fileName !== undefined) {
			this.parts.push({ kind: 'file', name: part.name, fileName: part.fileName, contentType: part.contentType, bytes: data, kept: part.kept, size: part.size, sha256: part.hash!.digest('hex') });
		} else {
			this.parts.push({ kind: 'field', name: part.name, value: data.toString('utf8') });
		}
	}
}

/** Parses a whole multipart/form-data body. Throws MultipartError on anything malformed. */
export function parseMultipart(contentType: string | undefined, body: Buffer): MultipartPart[] {
	const parser = new MultipartParser(contentType);
	parser.write(body);
	return parser.end();
}
