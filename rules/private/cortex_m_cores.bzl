"""The Cortex-M cores rules_tflm builds for, each tied to the QEMU board that emulates it.

CORE_TABLE is the one description of the cores: plain data (a dict of dicts
of strings, integers and lists of strings) that Python reads too
(tools/cores.py, for bench/ and for the table in docs/cortex_m.md, which
tools/docgen.py writes from it). Keep it a literal: no names, calls or
arithmetic. Each core's fields:

  description   (str) Architecture and FPU, for the docs.
  machine       (str) The QEMU board (`qemu-system-arm -M`).
  cpu_flags     (list of str) GCC's flags for the core; they pick GCC's
                multilib too, so the float ABI of newlib matches ours.
  simd          (str) The SIMD instructions CMSIS-NN's optimized code uses:
                "DSP", "MVE", or "" for none.
  flash_origin, flash_length, ram_origin, ram_length  (int) The board's
                memory map, in bytes.
  stack_size, heap_size  (int) The defaults of cortex_m_binary, in bytes.
"""

CORE_TABLE = {
    "cortex-m0": {
        "description": "Armv6-M, no FPU; microbit is the only Cortex-M0 board in QEMU, hence the small stack and heap",
        "machine": "microbit",
        "cpu_flags": ["-mcpu=cortex-m0"],
        "simd": "",
        "flash_origin": 0x0,
        "flash_length": 0x40000,  # 256 KiB
        "ram_origin": 0x20000000,
        "ram_length": 0x4000,  # 16 KiB
        "stack_size": 0x1000,
        "heap_size": 0x1000,
    },
    "cortex-m3": {
        "description": "Armv7-M, no FPU",
        "machine": "mps2-an385",
        "cpu_flags": ["-mcpu=cortex-m3"],
        "simd": "",
        "flash_origin": 0x0,
        "flash_length": 0x400000,  # 4 MiB
        "ram_origin": 0x20000000,
        "ram_length": 0x400000,
        "stack_size": 0x4000,
        "heap_size": 0x4000,
    },
    # Floats in FPU registers.
    "cortex-m4": {
        "description": "Armv7E-M (DSP), single-precision FPv4",
        "machine": "mps2-an386",
        "cpu_flags": ["-mcpu=cortex-m4", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"],
        "simd": "DSP",
        "flash_origin": 0x0,
        "flash_length": 0x400000,
        "ram_origin": 0x20000000,
        "ram_length": 0x400000,
        "stack_size": 0x4000,
        "heap_size": 0x4000,
    },
    # The double-precision FPv5 that QEMU's Cortex-M7 has.
    "cortex-m7": {
        "description": "Armv7E-M (DSP), double-precision FPv5",
        "machine": "mps2-an500",
        "cpu_flags": ["-mcpu=cortex-m7", "-mfloat-abi=hard", "-mfpu=fpv5-d16"],
        "simd": "DSP",
        "flash_origin": 0x0,
        "flash_length": 0x400000,
        "ram_origin": 0x20000000,
        "ram_length": 0x400000,
        "stack_size": 0x4000,
        "heap_size": 0x4000,
    },
    "cortex-m33": {
        "description": "Armv8-M Mainline (DSP), single-precision FPv5; AN505 boots in the secure state, so code and RAM are at their secure aliases",
        "machine": "mps2-an505",
        "cpu_flags": ["-mcpu=cortex-m33", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16"],
        "simd": "DSP",
        "flash_origin": 0x10000000,
        "flash_length": 0x400000,
        "ram_origin": 0x38000000,
        "ram_length": 0x200000,  # 2 MiB
        "stack_size": 0x4000,
        "heap_size": 0x4000,
    },
    # -mcpu implies the FPU and MVE.
    "cortex-m55": {
        "description": "Armv8.1-M with MVE (Helium) and FPU; code in the ITCM, data in the DTCM",
        "machine": "mps3-an547",
        "cpu_flags": ["-mcpu=cortex-m55", "-mfloat-abi=hard"],
        "simd": "MVE",
        "flash_origin": 0x0,
        "flash_length": 0x80000,  # 512 KiB
        "ram_origin": 0x20000000,
        "ram_length": 0x80000,
        "stack_size": 0x4000,
        "heap_size": 0x4000,
    },
}

# CORES["cortex-m4"].machine, .cpu_flags, .flash_origin, ...: the table as structs.
CORES = {name: struct(**fields) for name, fields in CORE_TABLE.items()}

# In the table's order, which is the order of tests and docs.
CORE_NAMES = list(CORE_TABLE.keys())
