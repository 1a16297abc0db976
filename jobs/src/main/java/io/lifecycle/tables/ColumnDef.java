package io.lifecycle.tables;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

/** One column of an output table: its stable snake_case name, type, nullability and comment for BI users. */
public record ColumnDef(String name, DataType type, boolean nullable, String comment) {

  public StructField toField() {
    Metadata metadata = new MetadataBuilder().putString("comment", comment).build();
    return new StructField(name, type, nullable, metadata);
  }
}
