-- 009: waves as the study defines them. A form's wave may be declared by its definition (a version's `wave`,
-- a column with role wave, or the number in its file name) instead of placed by its date; a declared form keeps
-- its wave when her forms are placed again. From this release months_since_exit are whole months counted at day
-- precision (days since the exact exit date ÷ 30.4375, rounded); rows loaded before keep calendar months.
ALTER TABLE responses ADD COLUMN wave_declared BOOLEAN DEFAULT false;
ALTER TABLE responses_history ADD COLUMN wave_declared BOOLEAN DEFAULT false;
UPDATE responses SET wave_declared = false;
UPDATE responses_history SET wave_declared = false;
