package ch.cern.alice.lakehouse.versioning.store;

import java.util.Optional;

/** Ancestry queries over the commit graph (Postgres recursive SQL, see {@link CommitGraphImpl}). */
public interface CommitGraph {

    /**
     * The nearest common ancestor: among the common ancestors, the one with the highest generation (the newest one
     * when a criss-cross history has several); empty when the two share no history.
     */
    Optional<String> mergeBase(String a, String b);
}
