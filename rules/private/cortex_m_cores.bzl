"""The Cortex-M cores rules_tflm builds for, each tied to the QEMU board that emulates it."""

def _core(machine, cpu_flags, flash, ram, stack_size = 0x4000, heap_size = 0x4000, simd = None):
    return struct(
        machine = machine,
        # The SIMD instructions CMSIS-NN's optimized code uses: "DSP", "MVE" or None.
        simd = simd,
        cpu_flags = cpu_flags,
        flash_origin = flash[0],
        flash_length = flash[1],
        ram_origin = ram[0],
        ram_length = ram[1],
        stack_size = stack_size,
        heap_size = heap_size,
    )

_KIB = 1024
_MIB = 1024 * 1024

# cpu flags pick GCC's multilib too, so the float ABI of newlib matches ours.
CORES = {
    # Armv6-M, no FPU. microbit: the only Cortex-M0 board in QEMU, 256 KiB
    # flash and 16 KiB RAM, hence the small stack and heap.
    "cortex-m0": _core("microbit", ["-mcpu=cortex-m0"], (0x0, 256 * _KIB), (0x20000000, 16 * _KIB), 0x1000, 0x1000),
    # Armv7-M, no FPU.
    "cortex-m3": _core("mps2-an385", ["-mcpu=cortex-m3"], (0x0, 4 * _MIB), (0x20000000, 4 * _MIB)),
    # Armv7E-M (DSP) with the single-precision FPv4, floats in FPU registers.
    "cortex-m4": _core("mps2-an386", ["-mcpu=cortex-m4", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"], (0x0, 4 * _MIB), (0x20000000, 4 * _MIB), simd = "DSP"),
    # Armv7E-M with the double-precision FPv5 that QEMU's Cortex-M7 has.
    "cortex-m7": _core("mps2-an500", ["-mcpu=cortex-m7", "-mfloat-abi=hard", "-mfpu=fpv5-d16"], (0x0, 4 * _MIB), (0x20000000, 4 * _MIB), simd = "DSP"),
    # Armv8-M Mainline with single-precision FPv5; AN505 boots in the secure
    # state, with code and RAM at their secure aliases.
    "cortex-m33": _core("mps2-an505", ["-mcpu=cortex-m33", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"], (0x10000000, 4 * _MIB), (0x38000000, 2 * _MIB), simd = "DSP"),
    # Armv8.1-M with MVE (Helium) and FPU, which -mcpu implies; code in the
    # 512 KiB ITCM, data in the 512 KiB DTCM.
    "cortex-m55": _core("mps3-an547", ["-mcpu=cortex-m55", "-mfloat-abi=hard"], (0x0, 512 * _KIB), (0x20000000, 512 * _KIB), simd = "MVE"),
}

CORE_NAMES = ["cortex-m0", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55"]
