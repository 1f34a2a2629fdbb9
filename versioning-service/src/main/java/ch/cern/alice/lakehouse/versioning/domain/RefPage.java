package ch.cern.alice.lakehouse.versioning.domain;

import java.util.List;

/**
 * One page of a listing: {@code total} matches of the filter, {@code nextOffset} the offset of the next page (null on
 * the last page).
 */
public record RefPage<T>(List<T> items, long total, int offset, int limit, Integer nextOffset) {

    public static <T> RefPage<T> of(List<T> items, long total, int offset, int limit) {
        return new RefPage<>(items, total, offset, limit, offset + items.size() < total ? offset + items.size() : null);
    }
}
