"""What one nominations file may hold and cost, and the refusal of a whole file. Every bound counts what
the file actually yields (bytes inflated, cells, characters), never what it declares about itself."""

MAX_BYTES = 5 * 1024 * 1024  # the upload itself
MAX_ROWS = 5000  # nominations (filled rows below the headers)
MAX_COLUMNS = 60  # cells right of this column are never kept
# A sheet may carry formatted but empty rows; nominations past this row number are refused.
MAX_PHYSICAL_ROWS = 50_000
MAX_CELL_CHARS = 1000  # no column of the template needs more (the longest field holds 300)
MAX_TOTAL_CHARS = 5_000_000  # all kept cells together, shared strings counted at every use
# Workbooks (.xlsx, a zip of XML parts).
MAX_INFLATED_BYTES = 100 * 1024 * 1024  # bytes actually inflated, over every part read
MAX_PART_GAP = 1024 * 1024  # longest run of XML without a ">": bounds what the parser buffers
MAX_ELEMENTS = 1_000_000  # XML elements parsed, over every part read
MAX_CELLS = 300_000  # <c> elements in the sheets read: 5,000 rows of 60 columns
MAX_CELLS_PER_ROW = 16_384  # Excel's own column limit (XFD)
MAX_SHARED_STRINGS = 200_000
MAX_SHARED_CHARS = 10_000_000
MAX_ZIP_MEMBERS = 2000
MAX_SECONDS = 5.0  # reading a file stops with a refusal past this (the preview needs the rest of 10 s)


class FileRefused(Exception):
    """The file cannot be read as nominations; `messages` says why, one message per problem."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(str(m) for m in self.messages))
