/**
 * S3Proxy as a child process with the lakehouse bucket created on start, and the few SigV4-signed S3 calls that
 * set-up needs.
 */
package ch.cern.alice.lakehouse.localstack.s3;
