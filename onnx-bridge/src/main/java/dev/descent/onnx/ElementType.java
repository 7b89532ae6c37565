package dev.descent.onnx;

import ai.djl.ndarray.types.DataType;
import java.util.Optional;

/**
 * The element types of ONNX tensors ({@code TensorProto.DataType}), with the DJL type each maps to
 * where one exists. The numeric codes are those of the ONNX specification.
 */
public enum ElementType {
    FLOAT(1, DataType.FLOAT32),
    UINT8(2, DataType.UINT8),
    INT8(3, DataType.INT8),
    UINT16(4, null),
    INT16(5, DataType.INT16),
    INT32(6, DataType.INT32),
    INT64(7, DataType.INT64),
    STRING(8, DataType.STRING),
    BOOL(9, DataType.BOOLEAN),
    FLOAT16(10, DataType.FLOAT16),
    DOUBLE(11, DataType.FLOAT64),
    UINT32(12, DataType.UINT32),
    UINT64(13, DataType.UINT64),
    BFLOAT16(16, DataType.BFLOAT16),
    UNDEFINED(0, null);

    private final int code;
    private final DataType djlType;

    ElementType(int code, DataType djlType) {
        this.code = code;
        this.djlType = djlType;
    }

    /**
     * Returns the ONNX {@code TensorProto.DataType} code.
     *
     * @return the code, e.g. 1 for FLOAT
     */
    public int code() {
        return code;
    }

    /**
     * Returns the DJL data type of this element type, if DJL has one.
     *
     * @return the DJL type, or empty (e.g. for UINT16)
     */
    public Optional<DataType> djlType() {
        return Optional.ofNullable(djlType);
    }

    /**
     * Returns the element type with an ONNX code.
     *
     * @param code the {@code TensorProto.DataType} code
     * @return the element type
     * @throws OnnxException if the code is not one listed here
     */
    public static ElementType fromCode(int code) {
        for (ElementType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new OnnxException("unknown ONNX element type code " + code);
    }

    /**
     * Returns the ONNX element type of a DJL data type.
     *
     * @param type the DJL type
     * @return the element type
     * @throws OnnxException if ONNX has no such type
     */
    public static ElementType fromDjl(DataType type) {
        for (ElementType t : values()) {
            if (t.djlType == type) {
                return t;
            }
        }
        throw new OnnxException("DJL type " + type + " has no ONNX element type");
    }
}
