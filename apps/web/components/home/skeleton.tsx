/** Cards a skeleton row shows: more than the widest layout fits, like a real row. */
const SKELETON_CARDS = 7;

function SkeletonRow() {
  return (
    <div className="mt-8">
      <div className="h-6 w-40 rounded bg-surface-raised" />
      <div className="-mx-4 mt-3 flex gap-3 overflow-hidden px-4 pb-3 sm:gap-4">
        {Array.from({ length: SKELETON_CARDS }, (_, index) => (
          <div key={index} className="w-36 shrink-0 sm:w-44">
            <div className="aspect-[2/3] rounded-lg bg-surface-raised" />
            <div className="mt-2 h-4 w-3/4 rounded bg-surface-raised" />
          </div>
        ))}
      </div>
    </div>
  );
}

/**
 * The home rows' shape while they are on their way: two rows sized as the real ones, so nothing
 * moves when they arrive. Usually replaced before the first paint; on a slow link it is what the
 * viewer sees under the hero meanwhile.
 */
export function RowsSkeleton() {
  return (
    <div aria-busy="true" data-testid="rows-skeleton">
      <SkeletonRow />
      <SkeletonRow />
    </div>
  );
}
