"""leadflow flows package."""
