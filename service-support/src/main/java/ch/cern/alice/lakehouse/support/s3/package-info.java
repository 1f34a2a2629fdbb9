/**
 * {@code S3Properties}: the lake's object store settings ({@code lakehouse.s3.*}, the {@code LAKEHOUSE_S3_*}
 * variables) for the services that talk to S3.
 */
package ch.cern.alice.lakehouse.support.s3;
