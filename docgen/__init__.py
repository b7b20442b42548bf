"""docgen: official Chinese government paperwork rendered from structured records."""

from docgen.fonts.config import use_docgen_fontconfig

use_docgen_fontconfig()
