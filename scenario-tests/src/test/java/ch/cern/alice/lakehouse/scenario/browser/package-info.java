/**
 * The web UI in headless Chromium against the real services of {@code LakeStack}: queries, versions, ETL runs,
 * durable figures, freshness and the version picker at scale; also takes the README's screenshots.
 */
package ch.cern.alice.lakehouse.scenario.browser;
