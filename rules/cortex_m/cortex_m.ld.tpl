/* Linker script for %{board} (%{cpu}), written by rules_tflm from
   rules/cortex_m/cortex_m.ld.tpl. Code and constants in flash, data, bss,
   heap and stack in RAM; the stack at the top of RAM. Set the sizes with
   -Wl,--defsym=__stack_size__=N and -Wl,--defsym=__heap_size__=N.
   The regions are larger than the board's %{flash_length} bytes of flash and
   %{ram_length} of RAM so that a program too big still links: rules_tflm's
   size check (tools/firmware_size.py) then fails the build with the numbers. */
MEMORY
{
  FLASH (rx) : ORIGIN = %{flash_origin}, LENGTH = 64M
  RAM (rwx) : ORIGIN = %{ram_origin}, LENGTH = 64M
}

__stack_size__ = DEFINED(__stack_size__) ? __stack_size__ : %{stack_size};
__heap_size__ = DEFINED(__heap_size__) ? __heap_size__ : %{heap_size};

ENTRY(Reset_Handler)

SECTIONS
{
  .text :
  {
    KEEP(*(.vectors))
    *(.text .text.*)
    KEEP(*(.init))
    KEEP(*(.fini))
    . = ALIGN(4);
    __preinit_array_start = .;
    KEEP(*(.preinit_array))
    __preinit_array_end = .;
    __init_array_start = .;
    KEEP(*(SORT(.init_array.*)))
    KEEP(*(.init_array))
    __init_array_end = .;
    __fini_array_start = .;
    KEEP(*(SORT(.fini_array.*)))
    KEEP(*(.fini_array))
    __fini_array_end = .;
  } > FLASH

  .rodata : ALIGN(16)
  {
    *(.rodata .rodata.*)
    . = ALIGN(4);
  } > FLASH

  .ARM.extab : { *(.ARM.extab* .gnu.linkonce.armextab.*) } > FLASH
  .ARM.exidx :
  {
    __exidx_start = .;
    *(.ARM.exidx* .gnu.linkonce.armexidx.*)
    __exidx_end = .;
  } > FLASH

  .data : ALIGN(8)
  {
    __data_start__ = .;
    *(.data .data.*)
    . = ALIGN(8);
    __data_end__ = .;
  } > RAM AT > FLASH
  __data_load__ = LOADADDR(.data);

  .bss (NOLOAD) : ALIGN(8)
  {
    __bss_start__ = .;
    *(.bss .bss.* COMMON)
    . = ALIGN(8);
    __bss_end__ = .;
  } > RAM

  .heap (NOLOAD) : ALIGN(8)
  {
    end = .;
    __end__ = .;
    . = . + __heap_size__;
    __heap_limit__ = .;
  } > RAM

  __stack_top__ = %{ram_origin} + %{ram_length};
  __stack_limit__ = __stack_top__ - __stack_size__;
}
