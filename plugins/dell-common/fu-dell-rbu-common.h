/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/* how the dell_smi plugin finds the dell_rbu plugin's BIOS device */
#define FU_DELL_RBU_PROTOCOL "com.dell.rbu"
/* set by write_firmware once the image is staged: dell_smi then sets the flag */
#define FU_DELL_RBU_METADATA_STAGED "DellRbuStaged"
/* the BIOS device's name; a cabinet's release is named after the model */
#define FU_DELL_RBU_NAME "System BIOS"
