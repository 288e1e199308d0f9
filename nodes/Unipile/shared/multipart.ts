import {
	NodeOperationError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type INodeProperties,
} from 'n8n-workflow';

/** The file options shared by Chat → Start and Message → Send (entries of their Options collection). */
export const fileOptions: INodeProperties[] = [
	{
		displayName: 'Attachments (Input Binary Fields)',
		name: 'attachments',
		type: 'string',
		default: '',
		placeholder: 'e.g. data, invoice',
		description:
			'Names of binary fields of the incoming item to send as attachments, separated by commas. Each file keeps its file name and MIME type.',
	},
	{
		displayName: 'Video Message (Input Binary Field)',
		name: 'videoMessage',
		type: 'string',
		default: '',
		placeholder: 'e.g. video',
		description: 'Name of the binary field holding a video to send as a video message (LinkedIn)',
	},
	{
		displayName: 'Voice Message (Input Binary Field)',
		name: 'voiceMessage',
		type: 'string',
		default: '',
		placeholder: 'e.g. voice',
		description: 'Name of the binary field holding an audio file to send as a voice message (LinkedIn)',
	},
];

/** Multipart entries for fileOptions living in the collection named `collection`. */
/** Text or at least one file: an empty message is refused before it is sent. */
export const somethingToSend: MultipartRequirement = {
	fields: ['text', 'attachments', 'voice_message', 'video_message'],
	message: 'Nothing to send: "Text" is empty and no file is attached',
	description:
		'Enter a text, or name a binary field of the input item in Options → Attachments, Voice Message or Video Message.',
};

export function fileFields(collection: string): MultipartField[] {
	return [
		{
			field: 'attachments',
			parameter: `${collection}.attachments`,
			label: 'Attachments (Input Binary Fields)',
			kind: 'files',
		},
		{
			field: 'voice_message',
			parameter: `${collection}.voiceMessage`,
			label: 'Voice Message (Input Binary Field)',
			kind: 'file',
		},
		{
			field: 'video_message',
			parameter: `${collection}.videoMessage`,
			label: 'Video Message (Input Binary Field)',
			kind: 'file',
		},
	];
}

/**
 * One multipart form field and the node parameter that fills it. `parameter` may be a path into a collection
 * (`options.subject`); `label` is the name users see, used in error messages.
 * - text: one field, the value as a string
 * - boolean: one field, 'true' / 'false'
 * - list: one field per entry of a comma-separated string or of an array from an expression
 * - file: one file field from the binary property named by the parameter
 * - files: one repeated file field per binary property in a comma-separated list of names
 */
export interface MultipartField {
	field: string;
	parameter: string;
	label: string;
	kind: 'text' | 'boolean' | 'list' | 'file' | 'files';
}

function entries(value: unknown): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	return list
		.filter((entry) => entry !== undefined && entry !== null)
		.map((entry) => String(entry).trim())
		.filter((entry) => entry !== '');
}

async function appendFile(
	this: IExecuteSingleFunctions,
	form: FormData,
	spec: MultipartField,
	propertyName: string,
): Promise<void> {
	if (this.getInputData().binary?.[propertyName] === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`${spec.label}: the input item has no binary field "${propertyName}"`,
			{
				itemIndex: this.getItemIndex(),
				description: `"${spec.label}" names binary fields of the incoming item. Available: ${
					Object.keys(this.getInputData().binary ?? {}).join(', ') || 'none'
				}`,
			},
		);
	}
	const file = this.helpers.assertBinaryData(propertyName);
	const buffer = await this.helpers.getBinaryDataBuffer(propertyName);
	const blob = new Blob([new Uint8Array(buffer)], { type: file.mimeType || 'application/octet-stream' });
	form.append(spec.field, blob, file.fileName ?? propertyName);
}

/**
 * Builds a preSend that sends the request as multipart/form-data from the given fields.
 * A parameter left empty sends nothing.
 */
/** The request makes no sense unless at least one of `fields` is sent: checked before sending, with the fix. */
export interface MultipartRequirement {
	fields: string[];
	message: string;
	description: string;
}

export function multipartBody(fields: MultipartField[], requirements: MultipartRequirement[] = []) {
	return async function (
		this: IExecuteSingleFunctions,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const form = new FormData();
		for (const spec of fields) {
			const value = this.getNodeParameter(spec.parameter, '') as unknown;
			if (value === undefined || value === null || value === '') continue;
			if (spec.kind === 'boolean') {
				form.append(spec.field, value === true || value === 'true' ? 'true' : 'false');
			} else if (spec.kind === 'text') {
				const text = String(value);
				if (text.trim() !== '') form.append(spec.field, text);
			} else if (spec.kind === 'list') {
				for (const entry of entries(value)) form.append(spec.field, entry);
			} else {
				const names = spec.kind === 'file' ? [String(value).trim()].filter((name) => name !== '') : entries(value);
				for (const name of names) await appendFile.call(this, form, spec, name);
			}
		}
		for (const requirement of requirements) {
			if (!requirement.fields.some((field) => form.has(field))) {
				throw new NodeOperationError(this.getNode(), requirement.message, {
					itemIndex: this.getItemIndex(),
					description: requirement.description,
				});
			}
		}
		// With a Content-Type left over (requestDefaults, json) the FormData would go out as "[object Object]".
		const headers = (requestOptions.headers ?? {}) as IDataObject;
		for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') delete headers[name];
		requestOptions.headers = headers;
		requestOptions.body = form;
		return requestOptions;
	};
}
