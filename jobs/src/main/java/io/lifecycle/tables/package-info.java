/**
 * One class per output table: its name, columns, types, comments, write mode and the constants of the values
 * it stores (the single place each table is defined), plus the table contract printed by
 * {@code bin/lifecycle contract}. Neutral: it uses no other package of the job.
 */
package io.lifecycle.tables;
