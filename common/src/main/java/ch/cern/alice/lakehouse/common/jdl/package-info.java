/**
 * A parser for AliEn job description language (JDL) text, from which derived dataset columns are read.
 */
package ch.cern.alice.lakehouse.common.jdl;
