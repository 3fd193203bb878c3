import { describe, expect, it } from 'vitest';
import { scopeOf, supplementChanges, targetsOutsideProcedure } from '../../shared/domain/requested-changes';

const procedure = {
  formFields: [
    { name: 'purpose', label: 'Mục đích', type: 'text' as const, required: true },
    { name: 'maritalStatus', label: 'Tình trạng hôn nhân', type: 'text' as const, required: true },
  ],
  documents: [
    { id: 'to-khai', name: 'Tờ khai', form: 'ORIGINAL' as const, quantity: 1, required: true },
    { id: 'giay-cu', name: 'Giấy cũ', form: 'COPY' as const, quantity: 1, required: false },
  ],
};
const before = { purpose: 'Đăng ký kết hôn', maritalStatus: 'Chưa kết hôn' };

describe('targetsOutsideProcedure', () => {
  it('names each field and document the procedure does not have, by its place in the request', () => {
    expect(targetsOutsideProcedure(procedure, { fields: ['purpose', 'fullName'], documents: ['giay-khai-sinh', 'to-khai'] })).toEqual([
      { path: 'body.fields.1', message: '@FIELD_NOT_IN_PROCEDURE' },
      { path: 'body.documents.0', message: '@DOCUMENT_NOT_IN_PROCEDURE' },
    ]);
  });

  it('accepts a request that names nothing', () => {
    expect(targetsOutsideProcedure(procedure, {})).toEqual([]);
  });
});

describe('supplementChanges', () => {
  const requested = scopeOf(['purpose'], ['to-khai']);

  it('lists the fields whose value changed and the documents given files, each once; a field sent unchanged is no change', () => {
    const result = supplementChanges(requested, before, {
      sentFormData: { purpose: 'Vay vốn', maritalStatus: 'Chưa kết hôn' },
      formDataAfter: { purpose: 'Vay vốn', maritalStatus: 'Chưa kết hôn' },
      attachments: [{ documentId: 'to-khai' }, { documentId: 'to-khai' }],
    });

    expect(result).toEqual({ changed: { fields: ['purpose'], documents: ['to-khai'] }, issues: [] });
  });

  it('refuses each change the request did not name: a field, a file for another document', () => {
    const result = supplementChanges(requested, before, {
      sentFormData: { maritalStatus: 'Đã ly hôn' },
      formDataAfter: { ...before, maritalStatus: 'Đã ly hôn' },
      attachments: [{ documentId: 'to-khai' }, { documentId: 'giay-cu' }],
    });

    expect(result.issues).toEqual([
      { path: 'body.formData.maritalStatus', message: '@FIELD_NOT_REQUESTED' },
      { path: 'body.attachments.1.documentId', message: '@DOCUMENT_NOT_REQUESTED' },
    ]);
  });

  it('compares the values as the form parsed them (a field added where there was none is a change)', () => {
    const result = supplementChanges(scopeOf([], []), before, {
      sentFormData: { intendedSpouseName: 'Trần Văn An' },
      formDataAfter: { ...before, intendedSpouseName: 'Trần Văn An' },
      attachments: [],
    });

    expect(result.issues).toEqual([{ path: 'body.formData.intendedSpouseName', message: '@FIELD_NOT_REQUESTED' }]);
  });
});
