/**
 * Auto-configuration of the one {@code DatasetCatalog} bean of every service: the built-in datasets plus the
 * operator's {@code LAKEHOUSE_DATASETS_DIR}.
 */
package ch.cern.alice.lakehouse.support.dataset;
