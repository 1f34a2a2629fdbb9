/**
 * local-stack: the launchers {@code ./lakehouse} starts for the local stack's infrastructure, each as its own JVM.
 * This package holds their shared command-line handling (options with an environment fallback).
 */
package ch.cern.alice.lakehouse.localstack;
