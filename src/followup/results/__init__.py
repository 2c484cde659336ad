"""Result tables computed from the warehouse, and writers for the terminal, CSV and XLSX."""
