"""The emitters, one module per op family; importing this package registers them all."""

from tools.aot.ops import activations  # pylint: disable=unused-import
from tools.aot.ops import arg_min_max  # pylint: disable=unused-import
from tools.aot.ops import batch_matmul  # pylint: disable=unused-import
from tools.aot.ops import binary  # pylint: disable=unused-import
from tools.aot.ops import comparisons  # pylint: disable=unused-import
from tools.aot.ops import conv  # pylint: disable=unused-import
from tools.aot.ops import data_movement  # pylint: disable=unused-import
from tools.aot.ops import fully_connected  # pylint: disable=unused-import
from tools.aot.ops import lstm  # pylint: disable=unused-import
from tools.aot.ops import pooling  # pylint: disable=unused-import
from tools.aot.ops import quantize  # pylint: disable=unused-import
from tools.aot.ops import reduce  # pylint: disable=unused-import
from tools.aot.ops import resize  # pylint: disable=unused-import
from tools.aot.ops import select_tile  # pylint: disable=unused-import
from tools.aot.ops import softmax  # pylint: disable=unused-import
from tools.aot.ops import split_pack  # pylint: disable=unused-import
from tools.aot.ops import transpose_conv  # pylint: disable=unused-import
from tools.aot.ops import unary  # pylint: disable=unused-import
