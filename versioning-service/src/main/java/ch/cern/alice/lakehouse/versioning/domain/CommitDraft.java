package ch.cern.alice.lakehouse.versioning.domain;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** A commit about to be written: everything but its id, time, generation and change set. */
public record CommitDraft(List<Commit> parents, SortedMap<String, Long> tables, String author, String message,
                          Map<String, Object> properties) {
}
