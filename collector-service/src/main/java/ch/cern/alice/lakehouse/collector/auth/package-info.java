/**
 * Site API keys: parsing {@code COLLECTOR_SITE_KEYS} entries ({@code site:key:datasets}), keeping them only as
 * SHA-256 hashes and saying which site and datasets a presented key stands for.
 */
package ch.cern.alice.lakehouse.collector.auth;
