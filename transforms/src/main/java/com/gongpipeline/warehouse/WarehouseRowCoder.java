package com.gongpipeline.warehouse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A coder of {@link WarehouseRow}: the table, the call version and each column as a type tag and a
 * compact value ({@code float[]} vectors as raw floats), in the row's column order. It replaced
 * Java serialization, which the DirectRunner paid on every element and, worse, on every bundle for
 * every row buffered in {@code GroupIntoBatches}' bag state (it copies the bag through the coder):
 * 39% of a backfill's Java CPU was that serialization. {@code WriteToWarehouse} now encodes each
 * row once with it and batches the bytes, which such a copy only duplicates. A value of a type the
 * row does not document falls back to Java serialization for that value only.
 */
public final class WarehouseRowCoder extends AtomicCoder<WarehouseRow> {
  private static final long serialVersionUID = 1L;
  private static final WarehouseRowCoder INSTANCE = new WarehouseRowCoder();

  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte LONG = 2;
  private static final byte INTEGER = 3;
  private static final byte DOUBLE = 4;
  private static final byte BOOLEAN = 5;
  private static final byte INSTANT = 6;
  private static final byte VECTOR = 7;
  private static final byte JSON = 8;
  private static final byte SERIALIZED = 9;

  private WarehouseRowCoder() {}

  public static WarehouseRowCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(WarehouseRow row, OutputStream outStream) throws IOException {
    if (row == null) {
      throw new CoderException("cannot encode a null WarehouseRow");
    }
    DataOutputStream out = new DataOutputStream(outStream);
    writeString(out, row.table().name());
    Long version = row.callVersion();
    out.writeBoolean(version != null);
    if (version != null) {
      out.writeLong(version);
    }
    Map<String, @Nullable Object> values = row.values();
    out.writeInt(values.size());
    for (Map.Entry<String, @Nullable Object> e : values.entrySet()) {
      writeString(out, e.getKey());
      writeValue(out, e.getValue());
    }
    out.flush();
  }

  @Override
  public WarehouseRow decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    WarehouseTable table;
    String tableName = readString(in);
    try {
      table = WarehouseTable.valueOf(tableName);
    } catch (IllegalArgumentException e) {
      throw new CoderException("unknown warehouse table " + tableName, e);
    }
    Long version = in.readBoolean() ? in.readLong() : null;
    int n = in.readInt();
    LinkedHashMap<String, @Nullable Object> values = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String column = readString(in);
      values.put(column, readValue(in));
    }
    return WarehouseRow.restore(table, values, version);
  }

  private static void writeValue(DataOutputStream out, @Nullable Object v) throws IOException {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof String s) {
      out.writeByte(STRING);
      writeString(out, s);
    } else if (v instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (v instanceof Integer i) {
      out.writeByte(INTEGER);
      out.writeInt(i);
    } else if (v instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (v instanceof Boolean b) {
      out.writeByte(BOOLEAN);
      out.writeBoolean(b);
    } else if (v instanceof Instant t) {
      out.writeByte(INSTANT);
      out.writeLong(t.getEpochSecond());
      out.writeInt(t.getNano());
    } else if (v instanceof float[] f) {
      out.writeByte(VECTOR);
      out.writeInt(f.length);
      for (float x : f) {
        out.writeFloat(x);
      }
    } else if (v instanceof WarehouseRow.Json j) {
      out.writeByte(JSON);
      writeString(out, j.text());
    } else {
      out.writeByte(SERIALIZED);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
        oos.writeObject(v);
      }
      out.writeInt(bytes.size());
      bytes.writeTo(out);
    }
  }

  private static @Nullable Object readValue(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return readString(in);
      case LONG:
        return in.readLong();
      case INTEGER:
        return in.readInt();
      case DOUBLE:
        return in.readDouble();
      case BOOLEAN:
        return in.readBoolean();
      case INSTANT:
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
      case VECTOR: {
        float[] f = new float[in.readInt()];
        for (int i = 0; i < f.length; i++) {
          f[i] = in.readFloat();
        }
        return f;
      }
      case JSON:
        return new WarehouseRow.Json(readString(in));
      case SERIALIZED: {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
          return ois.readObject();
        } catch (ClassNotFoundException e) {
          throw new CoderException("cannot decode a WarehouseRow value", e);
        }
      }
      default:
        throw new CoderException("unknown WarehouseRow value tag " + tag);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
