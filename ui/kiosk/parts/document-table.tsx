import { LABELS, documentFlagText, documentKindText, flagsForStaff, type LabelKey } from '../../common/i18n';
import { formatDate, groupDigits } from '../../common/format';
import type { DocumentSummary } from '../../../domain/kiosk-channel/view-model';
import type { Lang } from '../../../domain/language';

function rows(lang: Lang, doc: DocumentSummary): readonly [LabelKey, string, string][] {
  const out: [LabelKey, string, string][] = [
    ['fieldKind', 'kind', documentKindText(lang, doc.kind)],
    // A typed old ID card number is a CMND number, not a personal ID number (số định danh).
    [doc.kind.startsWith('cmnd') ? 'fieldCmndNumber' : 'fieldIdNumber', 'id-number', groupDigits(doc.idNumber)],
  ];
  if (doc.oldIdNumber) out.push(['fieldOldId', 'old-id-number', groupDigits(doc.oldIdNumber)]);
  if (doc.fullName) out.push(['fieldName', 'full-name', doc.fullName]);
  if (doc.dateOfBirth) out.push(['fieldDob', 'date-of-birth', formatDate(doc.dateOfBirth)]);
  if (doc.sex) out.push(['fieldSex', 'sex', doc.sex === 'male' ? LABELS.male[lang] : LABELS.female[lang]]);
  if (doc.address) out.push(['fieldAddress', 'address', doc.address]);
  if (doc.issueDate) out.push(['fieldIssueDate', 'issue-date', formatDate(doc.issueDate)]);
  return out;
}

/** The rows that say whose document it is: the review shows only these (issue #15). */
const IDENTITY = new Set(['id-number', 'full-name']);

/** The parsed document as a big, plain table the citizen can check line by line. */
interface Props {
  readonly lang: Lang;
  readonly document: DocumentSummary;
  /** Smaller rows where the table shares the screen with other things. */
  readonly compact?: boolean;
  /**
   * Only whose document it is (the number and the name): on the review, where the citizen has
   * already checked every line on the document step and "Change" goes back to them.
   */
  readonly identityOnly?: boolean;
}

export function DocumentTable({ lang, document: doc, compact, identityOnly }: Props) {
  const forStaff = flagsForStaff(doc.flags);
  const shown = rows(lang, doc).filter(([, id]) => !identityOnly || IDENTITY.has(id));
  return (
    <div class="doc-table-wrap">
      <table class={`doc-table${compact ? ' doc-table-compact' : ''}`} data-testid="document-table">
        <tbody>
          {shown.map(([label, id, value]) => (
            <tr key={id}>
              <th scope="row">{LABELS[label][lang]}</th>
              <td data-testid={`doc-${id}`}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {forStaff.length > 0 ? (
        <p class="doc-flags" data-testid="doc-flags">
          {LABELS.docFlagsNote[lang]} {forStaff.map((f) => documentFlagText(lang, f)).join('; ')}
        </p>
      ) : null}
    </div>
  );
}
