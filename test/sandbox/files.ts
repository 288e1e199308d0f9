/**
 * Real (tiny) file bytes for the sandbox: PNG images, a PDF, a text file, an OGG voice note and an MP4 clip,
 * plus mimetype helpers. Everything is deterministic.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';
import { notFound } from './http';
import type { RouteResult } from './routes';

export interface StoredFile {
	fileName: string;
	mimeType: string;
	/** The content; empty for a file generated on demand or an upload too big to keep (see `size`). */
	bytes: Buffer;
	/** When `bytes` does not hold the file: its real size, and its sha256. */
	size?: number;
	sha256?: string;
	/** A file generated on demand (`generatedFile`): streams its content, never held in memory. */
	open?: () => Readable;
}

export function fileSize(file: StoredFile): number {
	return file.size ?? file.bytes.length;
}

const GENERATED_CHUNK = 64 * 1024;

/** `size` deterministic pseudo-random bytes (AES-CTR over zeros, keyed by `seed`), produced chunk by chunk. */
export function generatedBytes(size: number, seed: number): Readable {
	const key = createHash('sha256').update(`sandbox-file-${seed}`).digest().subarray(0, 16);
	const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
	const zeros = Buffer.alloc(GENERATED_CHUNK);
	let left = size;
	return new Readable({
		highWaterMark: GENERATED_CHUNK,
		read() {
			if (left <= 0) return void this.push(null);
			const n = Math.min(GENERATED_CHUNK, left);
			left -= n;
			this.push(cipher.update(n === GENERATED_CHUNK ? zeros : zeros.subarray(0, n)));
		},
	});
}

/** A big file generated on demand, with its sha256 (computed once, by streaming it). */
export async function generatedFile(input: { fileName: string; mimeType: string; size: number; seed?: number }): Promise<StoredFile> {
	const seed = input.seed ?? input.size;
	const hash = createHash('sha256');
	for await (const chunk of generatedBytes(input.size, seed)) hash.update(chunk as Buffer);
	return {
		fileName: input.fileName,
		mimeType: input.mimeType,
		bytes: Buffer.alloc(0),
		size: input.size,
		sha256: hash.digest('hex'),
		open: () => generatedBytes(input.size, seed),
	};
}

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(buf: Buffer): number {
	let c = 0xffffffff;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
}

/** A valid RGB PNG of the given size: a diagonal two-colour pattern. */
export function makePng(width: number, height: number, rgb: [number, number, number], rgb2: [number, number, number] = [255, 255, 255]): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	ihdr[10] = 0;
	ihdr[11] = 0;
	ihdr[12] = 0;
	const raw = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++) {
		const row = y * (width * 3 + 1);
		raw[row] = 0;
		for (let x = 0; x < width; x++) {
			const c = (x + y) % 4 < 2 ? rgb : rgb2;
			raw[row + 1 + x * 3] = c[0];
			raw[row + 2 + x * 3] = c[1];
			raw[row + 3 + x * 3] = c[2];
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/** Width/height of a PNG, or undefined when the bytes are not a PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
	if (bytes.length < 24 || bytes.readUInt32BE(0) !== 0x89504e47 || bytes.toString('ascii', 12, 16) !== 'IHDR') return undefined;
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** A minimal, valid one-page PDF showing a line of text. */
export function makePdf(text: string): Buffer {
	const safe = text.replace(/[()\\]/g, '');
	const stream = `BT /F1 18 Tf 40 120 Td (${safe}) Tj ET`;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

/** Bytes that start like an Ogg/Opus stream (enough for sniffers; not playable audio). */
export function makeOgg(seed: number): Buffer {
	const head = Buffer.from('OggS\0\x02\0\0\0\0\0\0\0\0', 'latin1');
	const body = Buffer.alloc(96);
	for (let i = 0; i < body.length; i++) body[i] = (seed * 31 + i * 7) & 0xff;
	return Buffer.concat([head, Buffer.from('OpusHead', 'ascii'), body]);
}

/** Bytes that start like an MP4 file (ftyp box + filler). */
export function makeMp4(seed: number): Buffer {
	const ftyp = Buffer.alloc(24);
	ftyp.writeUInt32BE(24, 0);
	ftyp.write('ftypisom', 4, 'ascii');
	ftyp.writeUInt32BE(512, 12);
	ftyp.write('isomiso2', 16, 'ascii');
	const mdat = Buffer.alloc(128);
	mdat.writeUInt32BE(128, 0);
	mdat.write('mdat', 4, 'ascii');
	for (let i = 8; i < mdat.length; i++) mdat[i] = (seed * 13 + i) & 0xff;
	return Buffer.concat([ftyp, mdat]);
}

const EXT_MIME: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	pdf: 'application/pdf',
	txt: 'text/plain',
	csv: 'text/csv',
	json: 'application/json',
	ogg: 'audio/ogg',
	opus: 'audio/ogg',
	mp3: 'audio/mpeg',
	m4a: 'audio/mp4',
	wav: 'audio/wav',
	mp4: 'video/mp4',
	mov: 'video/quicktime',
	webm: 'video/webm',
	zip: 'application/zip',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Mimetype from a file name's extension (application/octet-stream when unknown). */
export function mimeFromName(fileName: string): string {
	const m = /\.([A-Za-z0-9]+)$/.exec(fileName);
	return (m && EXT_MIME[m[1].toLowerCase()]) || 'application/octet-stream';
}

/** Mimetype from the bytes' magic number, if recognisable. */
export function sniffMime(bytes: Buffer): string | undefined {
	if (pngSize(bytes)) return 'image/png';
	if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (bytes.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
	if (bytes.toString('latin1', 0, 4) === 'OggS') return 'audio/ogg';
	if (bytes.toString('latin1', 4, 8) === 'ftyp') return 'video/mp4';
	if (bytes.toString('latin1', 0, 4) === 'GIF8') return 'image/gif';
	return undefined;
}

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** A stored file as a download answer: its bytes, or a stream when it is generated on demand. */
export function fileAnswer(file: StoredFile, headers: Record<string, string>): RouteResult {
	if (file.open) return { status: 200, stream: file.open, length: fileSize(file), headers };
	if (file.size !== undefined && file.size !== file.bytes.length) throw notFound('this upload was too big for the sandbox to keep its content');
	return { status: 200, bytes: file.bytes, headers };
}
