package ch.cern.alice.lakehouse.versioning.domain;

import ch.cern.alice.lakehouse.versioning.store.RefListing;
import ch.cern.alice.lakehouse.versioning.store.RefListing.RefEntry;
import org.springframework.stereotype.Service;

/** Branches and tags for pickers, a page at a time (see {@link RefListing}). */
@Service
public class RefListService {

    public static final int DEFAULT_LIMIT = 50;

    private final RefListing refs;

    public RefListService(RefListing refs) {
        this.refs = refs;
    }

    /** Blank filters mean any; {@code kind} is "branch", "tag" or blank for both. */
    public RefPage<RefEntry> list(String query, String prefix, String owner, String kind, int offset, int limit) {
        String k = BranchService.blankToNull(kind);
        if (k != null && !k.equals("branch") && !k.equals("tag")) {
            throw new BadRequestException("kind must be 'branch' or 'tag'");
        }
        if (offset < 0 || limit < 1 || limit > BranchService.MAX_PAGE_SIZE) {
            throw new BadRequestException("offset must be >= 0 and limit between 1 and " + BranchService.MAX_PAGE_SIZE);
        }
        var filter = new RefListing.Filter(BranchService.blankToNull(query), BranchService.blankToNull(prefix),
                BranchService.blankToNull(owner), k);
        return RefPage.of(refs.page(filter, offset, limit), refs.count(filter), offset, limit);
    }
}
