/**
 * S3Proxy as a child process ({@code java -jar s3proxy.jar}) with the project's one S3Proxy configuration
 * (filesystem provider, SigV4, path-style), for the local stack and the tests.
 */
package ch.cern.alice.lakehouse.s3proxy;
