package io.ovsanp.controller.openflow.wire;

import java.util.List;
import java.util.Map;

/**
 * Names of the errors an OVS 3.1 switch sends over OpenFlow 1.3, spelled as {@code ovs-ofctl
 * print-error} spells them (OVS's include/openvswitch/ofp-errors.h gives the numbers). Errors not
 * listed get a numeric description, never an exception.
 */
final class ErrorNames {
    private static final List<String> TYPES = List.of(
            "OFPET_HELLO_FAILED",
            "OFPET_BAD_REQUEST",
            "OFPET_BAD_ACTION",
            "OFPET_BAD_INSTRUCTION",
            "OFPET_BAD_MATCH",
            "OFPET_FLOW_MOD_FAILED",
            "OFPET_GROUP_MOD_FAILED",
            "OFPET_PORT_MOD_FAILED",
            "OFPET_TABLE_MOD_FAILED",
            "OFPET_QUEUE_OP_FAILED",
            "OFPET_SWITCH_CONFIG_FAILED",
            "OFPET_ROLE_REQUEST_FAILED",
            "OFPET_METER_MOD_FAILED",
            "OFPET_TABLE_FEATURES_FAILED");

    /** Codes by type, in code order (OpenFlow 1.3.5 §7.4.4; OVS's spellings). */
    private static final Map<Integer, List<String>> CODES = Map.of(
            0, List.of("OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM"),
            1,
                    List.of(
                            "OFPBRC_BAD_VERSION",
                            "OFPBRC_BAD_TYPE",
                            "OFPBRC_BAD_STAT",
                            "OFPBRC_BAD_VENDOR",
                            "OFPBRC_BAD_SUBTYPE",
                            "OFPBRC_EPERM",
                            "OFPBRC_BAD_LEN",
                            "OFPBRC_BUFFER_EMPTY",
                            "OFPBRC_BUFFER_UNKNOWN",
                            "OFPBRC_BAD_TABLE_ID",
                            "OFPBRC_IS_SECONDARY",
                            "OFPBRC_BAD_PORT",
                            "OFPBRC_BAD_PACKET",
                            "OFPBRC_MULTIPART_BUFFER_OVERFLOW"),
            2,
                    List.of(
                            "OFPBAC_BAD_TYPE",
                            "OFPBAC_BAD_LEN",
                            "OFPBAC_BAD_VENDOR",
                            "OFPBAC_BAD_VENDOR_TYPE",
                            "OFPBAC_BAD_OUT_PORT",
                            "OFPBAC_BAD_ARGUMENT",
                            "OFPBAC_EPERM",
                            "OFPBAC_TOO_MANY",
                            "OFPBAC_BAD_QUEUE",
                            "OFPBAC_BAD_OUT_GROUP",
                            "OFPBAC_MATCH_INCONSISTENT",
                            "OFPBAC_UNSUPPORTED_ORDER",
                            "OFPBAC_BAD_TAG",
                            "OFPBAC_BAD_SET_TYPE",
                            "OFPBAC_BAD_SET_LEN",
                            "OFPBAC_BAD_SET_ARGUMENT"),
            3,
                    List.of(
                            "OFPBIC_UNKNOWN_INST",
                            "OFPBIC_UNSUP_INST",
                            "OFPBIC_BAD_TABLE_ID",
                            "OFPBIC_UNSUP_METADATA",
                            "OFPBIC_UNSUP_METADATA_MASK",
                            "OFPBIC_BAD_EXPERIMENTER",
                            "OFPBIC_BAD_EXP_TYPE",
                            "OFPBIC_BAD_LEN",
                            "OFPBIC_EPERM"),
            4,
                    List.of(
                            "OFPBMC_BAD_TYPE",
                            "OFPBMC_BAD_LEN",
                            "OFPBMC_BAD_TAG",
                            "OFPBMC_BAD_DL_ADDR_MASK",
                            "OFPBMC_BAD_NW_ADDR_MASK",
                            "OFPBMC_BAD_WILDCARDS",
                            "OFPBMC_BAD_FIELD",
                            "OFPBMC_BAD_VALUE",
                            "OFPBMC_BAD_MASK",
                            "OFPBMC_BAD_PREREQ",
                            "OFPBMC_DUP_FIELD",
                            "OFPBMC_EPERM"),
            5,
                    List.of(
                            "OFPFMFC_UNKNOWN",
                            "OFPFMFC_TABLE_FULL",
                            "OFPFMFC_BAD_TABLE_ID",
                            "OFPFMFC_OVERLAP",
                            "OFPFMFC_EPERM",
                            "OFPFMFC_BAD_TIMEOUT",
                            "OFPFMFC_BAD_COMMAND",
                            "OFPFMFC_BAD_FLAGS"),
            10, List.of("OFPSCFC_BAD_FLAGS", "OFPSCFC_BAD_LEN", "OFPSCFC_EPERM"),
            11, List.of("OFPRRFC_STALE", "OFPRRFC_UNSUP", "OFPRRFC_BAD_ROLE"));

    /** Nicira exp_types in OF1.2+ (the "NX1.2+(n)" numbers of ofp-errors.h). */
    private static final Map<Integer, String> NICIRA = Map.ofEntries(
            Map.entry(2, "NXBRC_NXM_INVALID"),
            Map.entry(3, "NXBRC_NXM_BAD_TYPE"),
            Map.entry(4, "NXBRC_MUST_BE_ZERO"),
            Map.entry(5, "NXBRC_BAD_REASON"),
            Map.entry(9, "NXBRC_FM_BAD_EVENT"),
            Map.entry(10, "NXBRC_UNENCODABLE_ERROR"),
            Map.entry(11, "NXBAC_MUST_BE_ZERO"),
            Map.entry(12, "NXFMFC_HARDWARE"),
            Map.entry(13, "NXFMFC_BAD_TABLE_ID"),
            Map.entry(15, "NXBAC_BAD_CONJUNCTION"),
            Map.entry(34, "NXR_NOT_SUPPORTED"),
            Map.entry(35, "NXR_STALE"),
            Map.entry(37, "NXFMFC_INVALID_TLV_FIELD"),
            Map.entry(42, "NXBAC_CT_DATAPATH_SUPPORT"),
            Map.entry(43, "NXBMC_CT_DATAPATH_SUPPORT"));

    /** ONF bundle errors: exp_type 2300 + code (OF1.4 OFPBFC_* codes 0..15). */
    private static final List<String> BUNDLE = List.of(
            "OFPBFC_UNKNOWN",
            "OFPBFC_EPERM",
            "OFPBFC_BAD_ID",
            "OFPBFC_BUNDLE_EXIST",
            "OFPBFC_BUNDLE_CLOSED",
            "OFPBFC_OUT_OF_BUNDLES",
            "OFPBFC_BAD_TYPE",
            "OFPBFC_BAD_FLAGS",
            "OFPBFC_MSG_BAD_LEN",
            "OFPBFC_MSG_BAD_XID",
            "OFPBFC_MSG_UNSUP",
            "OFPBFC_MSG_CONFLICT",
            "OFPBFC_MSG_TOO_MANY",
            "OFPBFC_MSG_FAILED",
            "OFPBFC_TIMEOUT",
            "OFPBFC_BUNDLE_IN_PROGRESS");

    /** Other ONF exp_types OVS uses in OF1.3 (ONF1.3 numbers of ofp-errors.h). */
    private static final Map<Integer, String> ONF = Map.of(2600, "OFPBIC_DUP_INST", 4250, "OFPBAC_BAD_SET_MASK");

    private ErrorNames() {}

    static String name(OfError e) {
        if (e.experimenter() == Wire.NICIRA) {
            String n = NICIRA.get(e.code());
            return n != null ? n : String.format("NX_ERROR(exp_type=%d)", e.code());
        }
        if (e.experimenter() == Wire.ONF) {
            int bundle = e.code() - 2300;
            if (bundle >= 0 && bundle < BUNDLE.size()) {
                return BUNDLE.get(bundle);
            }
            String n = ONF.get(e.code());
            return n != null ? n : String.format("ONF_ERROR(exp_type=%d)", e.code());
        }
        if (e.isExperimenter()) {
            return String.format("EXPERIMENTER_ERROR(experimenter=0x%x,exp_type=%d)", e.experimenter(), e.code());
        }
        List<String> codes = CODES.get(e.type());
        if (codes != null && e.code() < codes.size()) {
            return codes.get(e.code());
        }
        String type = e.type() < TYPES.size() ? TYPES.get(e.type()) : "OFPET(" + e.type() + ")";
        return type + "(code=" + e.code() + ")";
    }
}
