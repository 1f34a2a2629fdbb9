/**
 * Spring wiring of the collector: {@code CollectorProperties} (the {@code COLLECTOR_*} settings of application.yml)
 * and the beans of the intake path.
 */
package ch.cern.alice.lakehouse.collector.config;
