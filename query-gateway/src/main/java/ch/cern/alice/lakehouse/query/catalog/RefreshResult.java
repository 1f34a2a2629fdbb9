package ch.cern.alice.lakehouse.query.catalog;

import java.util.List;

/**
 * @param registered tables newly registered in Trino
 * @param refreshed  tables already known whose metadata cache was flushed
 * @param absent     catalog datasets without a Delta table in the bucket yet
 */
public record RefreshResult(List<String> registered, List<String> refreshed, List<String> absent) {
}
