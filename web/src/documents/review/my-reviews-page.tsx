import { roleLabels } from '../../auth/roles.js';
import { PageHeader } from '../../ui/page.js';
import { PagedTable } from '../../ui/paged-list.js';
import { useApiList } from '../../ui/use-api-data.js';
import { reviewApi, type PendingReview } from './review.api.js';

/** The document versions waiting for the signed-in reviewer's approval or rejection, oldest first. */
export function MyReviewsPage() {
  const reviews = useApiList<'reviews', PendingReview>(reviewApi.minePath, 'reviews');
  return (
    <>
      <PageHeader
        title="My reviews"
        description="Document versions waiting for your decision, asked of you by name or of your role."
      />
      <PagedTable
        list={reviews}
        what="reviews"
        empty={{ title: 'Nothing to review', hint: 'Versions submitted to you or your role appear here.' }}
        label="My reviews"
        rowKey={(review) => review.reviewId}
        columns={(column) => [
          column.link('Document', (review) => ({
            to: `/documents/${review.document.id}`,
            label: review.document.title,
            note: review.message || undefined,
          })),
          { header: 'Version', className: 'nowrap', cell: (review) => review.version },
          {
            header: 'Asked of',
            cell: (review) => (review.role ? `Any ${roleLabels[review.role].toLowerCase()}` : 'You, by name'),
          },
          { header: 'Submitted by', cell: (review) => review.submittedBy?.name ?? 'Tidings' },
          column.date('Submitted', (review) => review.submittedAt),
        ]}
      />
    </>
  );
}
