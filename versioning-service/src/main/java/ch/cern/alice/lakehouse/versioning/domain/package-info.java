/**
 * The versioning rules: branch, tag and commit services, ref resolution, three-way merge, revert, access policy and
 * the domain records and errors. Uses {@code store} for persistence; nothing in {@code store} uses it.
 */
package ch.cern.alice.lakehouse.versioning.domain;
