package io.lifecycle.tables;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a Delta table with Delta Kernel, the reader library that engines other than Spark (Trino's
 * and PrestoDB's connectors, Flink) build on: if Kernel reads our tables, BI engines can.
 */
final class KernelTableReader {
  private final Engine engine = DefaultEngine.create(new Configuration());

  Snapshot snapshot(String path) {
    return TableManager.loadSnapshot(path).build(engine);
  }

  /** Columns as "name type" with Spark's type spelling, for comparison with Spark's view. */
  List<String> columns(String path) {
    List<String> out = new ArrayList<>();
    for (StructField f : snapshot(path).getSchema().fields()) {
      out.add(f.getName() + " " + typeName(f.getDataType()));
    }
    return out;
  }

  /** Counts rows by reading every data file through Kernel's scan (partition values included). */
  long countRows(String path) throws Exception {
    Scan scan = snapshot(path).getScanBuilder().build();
    Row scanState = scan.getScanState(engine);
    StructType readSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
    long rows = 0;
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            Row fileRow = fileRows.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(fileRow);
            CloseableIterator<ColumnarBatch> physical = engine.getParquetHandler()
                .readParquetFiles(io.delta.kernel.internal.util.Utils.singletonCloseableIterator(status), readSchema, Optional.empty())
                .map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> data = Scan.transformPhysicalData(engine, scanState, fileRow, physical)) {
              while (data.hasNext()) {
                FilteredColumnarBatch batch = data.next();
                Optional<ColumnVector> selection = batch.getSelectionVector();
                int size = batch.getData().getSize();
                for (int i = 0; i < size; i++) {
                  if (selection.isEmpty() || (!selection.get().isNullAt(i) && selection.get().getBoolean(i))) {
                    rows++;
                  }
                }
              }
            }
          }
        }
      }
    }
    return rows;
  }

  static String typeName(DataType t) {
    if (t instanceof MapType m) {
      return "map<" + typeName(m.getKeyType()) + "," + typeName(m.getValueType()) + ">";
    }
    if (t instanceof ArrayType a) {
      return "array<" + typeName(a.getElementType()) + ">";
    }
    if (t instanceof StructType s) {
      List<String> fields = new ArrayList<>();
      for (StructField f : s.fields()) {
        fields.add(f.getName() + ":" + typeName(f.getDataType()));
      }
      return "struct<" + String.join(",", fields) + ">";
    }
    return switch (t.getClass().getSimpleName()) {
      case "StringType" -> "string";
      case "LongType" -> "bigint";
      case "IntegerType" -> "int";
      case "ShortType" -> "smallint";
      case "ByteType" -> "tinyint";
      case "DoubleType" -> "double";
      case "FloatType" -> "float";
      case "BooleanType" -> "boolean";
      case "DateType" -> "date";
      case "TimestampType" -> "timestamp";
      case "TimestampNTZType" -> "timestamp_ntz";
      case "BinaryType" -> "binary";
      default -> t.toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
