/*
 * Copyright 2026 the fwupd Dell RBU plugins project maintainers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/* how the dell_smi plugin finds the dell_rbu plugin's BIOS device */
#define FU_DELL_RBU_PROTOCOL "com.dell.rbu"
/* set by write_firmware once the image is staged and read back whole, and at
 * start-up when the driver holds an image */
#define FU_DELL_RBU_METADATA_STAGED "DellRbuStaged"
/* added with it inside write_firmware: dell_smi sets the flag as it sees it,
 * so that fwupd records success only for an armed image */
#define FU_DELL_RBU_PRIVATE_FLAG_STAGED "dell-rbu-staged"
/* set by dell_smi: the flag is set over the staged image */
#define FU_DELL_RBU_METADATA_ARMED "DellSmiArmed"
/* set by dell_smi: why the flag could not be set */
#define FU_DELL_RBU_METADATA_ARM_ERROR "DellSmiArmError"
/* set by dell_smi when it registers the device: it read the flag at start-up */
#define FU_DELL_RBU_METADATA_FLAG_READ "DellSmiFlagRead"
/* the device's update message while an armed image waits for the reboot */
#define FU_DELL_RBU_STAGED_MESSAGE                                                                 \
	"The BIOS image is staged in memory and is flashed on the next warm reboot; do not "       \
	"power the machine off."
/* the BIOS device's name; a cabinet's release is named after the model */
#define FU_DELL_RBU_NAME "System BIOS"
