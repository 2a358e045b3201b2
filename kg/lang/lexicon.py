"""A small general lexicon: names every ML reader knows, plus generic terms
that look like names but are not entities (ANNOTATION.md "Not entities")."""
from __future__ import annotations

#: generic acronyms / concepts / metrics / tools that are not named entities
GENERIC = frozenset(x.lower() for x in """
LLM LLMs VLM VLMs MLLM MLLMs LMM LMMs LVLM LVLMs SLM SLMs LM LMs RL SFT CoT RAG NLP NLU NLG AI AGI ASI ML DL CV IR
QA VQA MCQ MCQs UI GUI API APIs GPU GPUs CPU TPU SOTA SoTA SSL KV OCR ASR TTS T2I T2V I2V V2A TTA AR NAR ODE SDE
RLHF RLAIF MLP MLPs CNN CNNs RNN RNNs LSTM GAN GANs VAE VAEs ViTs Transformer Transformers MoE MoEs DiT DiTs
FID FVD IS CLIPScore BLEU ROUGE METEOR CIDEr IoU mIoU mAP PSNR SSIM LPIPS WER CER F1 AUC EM ELO Elo ECE NDCG MRR
TFLOPs FLOPs FLOP GFLOPs TOPS PhD URL PDF JSON SQL HTML CSS Python Java CUDA GitHub arXiv HuggingFace Hugging
Face HF ID IDs OOD IID E2E KL MSE MAE RMSE ReLU GELU SiLU Adam AdamW SGD LR BF16 FP16 FP8 FP32 INT8 INT4 RGB RGBD
LiDAR SDK OS iOS Android Linux Windows Web USA US UK EU 2D 3D 4D 1D AIGC GenAI NeRF NeRFs PEFT ICL ZS FS
MDP POMDP SNR TP FP FN TN NER POS TTT TTS RM RMs ORM PRM PRMs PPL CE BCE NTP MTP FFN FFNs GNN GNNs KG KGs
SAE SAEs PCA SVD EMA VLA VLAs LRM LRMs LCM TTC LLaMA-like Agent Agents MLLM-based LLM-based VLM-based CoTs
Vision Language Text Image Video Audio Speech Code Math Reasoning Agentic Multimodal Diffusion Attention
SSM SSMs NP-hard NP-complete AR/VR XR VR STS NLI
Table Figure Fig Appendix Section Eq Step Stage Phase Task Tasks Baseline Baselines Q A
""".split())

#: well-known public benchmark suites (names that carry no shape cue of their own)
BENCHMARKS = frozenset(x.lower() for x in """
MMLU MMLU-Pro CMMLU GSM8K MATH MATH500 MATH-500 AIME AIME24 AIME25 AMC AMC23 HumanEval HumanEval+ MBPP MBPP+
ARC ARC-C ARC-E ARC-AGI HellaSwag WinoGrande PIQA SIQA BoolQ OpenBookQA TruthfulQA BBH BIG-Bench GPQA
LiveCodeBench SWE-bench MT-Bench AlpacaEval Arena-Hard IFEval MMMU MMMU-Pro MathVista MathVerse MMBench MME
MMStar SEED-Bench POPE TextVQA DocVQA ChartQA InfoVQA InfographicsVQA AI2D ScienceQA VQAv2 GQA OK-VQA
COCO ImageNet CIFAR-10 CIFAR-100 SQuAD GLUE SuperGLUE WMT XNLI XQuAD TyDiQA FLORES HotpotQA NaturalQuestions
TriviaQA MuSiQue 2WikiMultiHopQA WebArena OSWorld Mind2Web AndroidWorld VBench GenEval T2I-CompBench DPG-Bench
Video-MME MVBench EgoSchema LongBench RULER NIAH BFCL TAU-bench GAIA HLE Countdown Sudoku MiniF2F ProofNet
OlympiadBench Minerva MedQA PubMedQA RefCOCO Flickr30k MSRVTT MSR-VTT MSVD ActivityNet Kinetics UCF101
LibriSpeech CommonVoice ScanNet nuScenes KITTI Waymo CelebA FFHQ LAION DROP MGSM CEval C-Eval LiveBench
""".split())

#: well-known model families / methods without a shape cue
METHODS = frozenset(x.lower() for x in """
GPT-4 GPT-4o GPT-4V GPT-3.5 GPT-5 ChatGPT Claude Gemini Gemma Llama LLaMA Llama-2 Llama-3 Qwen Qwen2 Qwen2.5
Qwen3 Mistral Mixtral DeepSeek DeepSeek-R1 DeepSeek-V3 Phi BERT RoBERTa T5 CLIP SigLIP BLIP SAM DINO DINOv2
ViT Whisper LLaVA Stable Diffusion SDXL FLUX Sora Imagen DALL-E Midjourney PPO DPO GRPO REINFORCE InfoNCE LoRA
QLoRA Mamba RWKV vLLM SGLang Chinchilla PaLM Falcon Vicuna Alpaca OLMo Pythia StarCoder CodeLlama o1 o3 R1
""".split())

#: how the field spells well-known names: a node whose key is one of these is named so, whatever
#: casing its reviews used (``Clip`` → CLIP, ``Hellaswag`` → HellaSwag)
SPELLINGS = """
GPT-2 GPT-3 GPT-3.5 GPT-4 GPT-4o GPT-4V GPT-4o-mini GPT-5 ChatGPT o1 o1-mini o1-preview o3 o3-mini o4-mini
Claude Gemini Gemma PaLM LLaMA BERT RoBERTa DeBERTa ALBERT ELECTRA T5 BART CLIP SigLIP BLIP BLIP-2 SAM DINO
DINOv2 ViT Whisper LLaVA LLaVA-NeXT LLaVA-OneVision SDXL FLUX DALL-E Imagen Sora PPO DPO GRPO LoRA QLoRA DoRA
Mamba RWKV vLLM SGLang OLMo Pythia StarCoder CodeLlama DeepSeek DeepSeek-R1 DeepSeek-V3 Qwen Qwen2 Qwen2.5 Qwen3
Mistral Mixtral ResNet U-Net VAE VQ-VAE VQGAN NeRF 3DGS SfM SLAM BM25 SDS DDPM DDIM ControlNet IP-Adapter
MMLU MMLU-Pro GSM8K MATH HumanEval HumanEval+ MBPP HellaSwag WinoGrande PIQA BoolQ ARC TruthfulQA BBH GPQA
MT-Bench AlpacaEval Arena-Hard IFEval MMMU MathVista MMBench TextVQA DocVQA ChartQA COCO ImageNet ImageNet-1K
ADE20K CIFAR-10 CIFAR-100 SQuAD GLUE SuperGLUE LongBench LibriSpeech CommonVoice ScanNet nuScenes KITTI
CLIPScore FID LPIPS SWE-bench LiveCodeBench VBench GenEval BIG-Bench
""".split()

SPELLINGS += ["BIG-Bench Hard", "Stable Diffusion", "Segment Anything", "Chain-of-Thought", "MS-COCO"]

#: well-known acronym ↔ expansion pairs: an acronym joins its expansion across papers when the pair is here
ACRONYMS = {
    "clip": "Contrastive Language-Image Pre-training", "lora": "Low-Rank Adaptation", "ppo": "Proximal Policy Optimization",
    "dpo": "Direct Preference Optimization", "grpo": "Group Relative Policy Optimization",
    "rlhf": "Reinforcement Learning from Human Feedback", "vit": "Vision Transformer", "dit": "Diffusion Transformer",
    "sds": "Score Distillation Sampling", "sfm": "Structure from Motion", "resnet": "Residual Network",
    "nerf": "Neural Radiance Fields", "3dgs": "3D Gaussian Splatting", "ldm": "Latent Diffusion Model",
    "ddpm": "Denoising Diffusion Probabilistic Models", "moe": "Mixture of Experts",
    "mha": "Multi-Head Attention", "rope": "Rotary Position Embedding", "cfg": "Classifier-Free Guidance",
    "sam": "Segment Anything Model", "bert": "Bidirectional Encoder Representations from Transformers",
    "gan": "Generative Adversarial Network", "vae": "Variational Autoencoder", "mae": "Masked Autoencoder",
    "llava": "Large Language and Vision Assistant", "rag": "Retrieval-Augmented Generation",
    "bbh": "BIG-Bench Hard", "vqvae": "Vector Quantized Variational Autoencoder", "sdxl": "Stable Diffusion XL",
    "mllm": "Multimodal Large Language Model", "vlm": "Vision-Language Model", "cot": "Chain-of-Thought",
    "mmlu": "Massive Multitask Language Understanding", "glue": "General Language Understanding Evaluation",
    "coco": "MS-COCO",
}

#: organisations: canonical name → lower-case variants (tags and prose)
ORGS = {
    "Google": ["google", "google research", "구글"],
    "Google DeepMind": ["deepmind", "google deepmind", "딥마인드"],
    "Meta": ["meta", "meta ai", "facebook", "fair", "메타"],
    "NVIDIA": ["nvidia", "엔비디아"],
    "Microsoft": ["microsoft", "microsoft research", "msra", "마이크로소프트"],
    "OpenAI": ["openai", "오픈ai"],
    "Anthropic": ["anthropic", "앤트로픽"],
    "Apple": ["apple", "애플"],
    "Amazon": ["amazon", "aws", "아마존"],
    "IBM": ["ibm"],
    "Alibaba": ["alibaba", "alibaba group", "qwen team", "알리바바"],
    "Tencent": ["tencent", "텐센트"],
    "ByteDance": ["bytedance", "byte dance", "바이트댄스"],
    "Baidu": ["baidu", "바이두"],
    "Huawei": ["huawei", "화웨이"],
    "Xiaomi": ["xiaomi", "샤오미"],
    "DeepSeek": ["deepseek-ai"],
    "Salesforce": ["salesforce"],
    "Stability AI": ["stability ai", "stabilityai", "stability"],
    "Hugging Face": ["huggingface", "hugging face"],
    "Allen Institute for AI": ["ai2", "allenai", "allen ai"],
    "Samsung": ["samsung", "삼성", "삼성전자"],
    "LG AI Research": ["lg", "lg ai", "lg ai research"],
    "NAVER": ["naver", "네이버"],
    "Kakao": ["kakao", "카카오"],
    "Upstage": ["upstage", "업스테이지"],
    "Harvard University": ["harvard", "하버드"],
    "MIT": ["mit", "massachusetts institute of technology"],
    "Stanford University": ["stanford", "스탠포드"],
    "UC Berkeley": ["berkeley", "uc berkeley"],
    "Carnegie Mellon University": ["cmu", "carnegie mellon"],
    "Tsinghua University": ["tsinghua", "칭화대"],
    "Peking University": ["pku", "peking university"],
    "KAIST": ["kaist", "카이스트"],
    "Seoul National University": ["snu", "서울대"],
    "Shanghai AI Laboratory": ["shanghai ai lab", "shanghai ai laboratory"],
    "Mistral AI": ["mistral ai", "mistralai"],
    "xAI": ["xai"],
    "Zhipu AI": ["zhipu", "zhipu ai", "thudm"],
    "Moonshot AI": ["moonshot", "moonshot ai", "kimi"],
    "Adobe": ["adobe"],
    "Snap": ["snap", "snap inc"],
    "Sony": ["sony"],
    "Qualcomm": ["qualcomm"],
    "Intel": ["intel"],
    "AMD": ["amd"],
    # universities and institutes that author much of the field, with their usual short forms
    "University of Toronto": ["toronto", "uoft", "u of t"],
    "University of Washington": ["univ. of washington"],
    "University of Oxford": ["oxford", "oxford university"],
    "University of Cambridge": ["cambridge", "cambridge university"],
    "Princeton University": ["princeton"],
    "Yale University": ["yale"],
    "Columbia University": ["columbia"],
    "Cornell University": ["cornell"],
    "Brown University": ["brown"],
    "New York University": ["nyu"],
    "Johns Hopkins University": ["jhu", "johns hopkins"],
    "University of Michigan": ["umich"],
    "UCLA": ["ucla"],
    "UC San Diego": ["ucsd", "uc san diego"],
    "UIUC": ["uiuc", "university of illinois urbana-champaign"],
    "Georgia Tech": ["georgia tech", "gatech", "georgia institute of technology"],
    "ETH Zurich": ["eth zurich", "eth zürich"],
    "EPFL": ["epfl"],
    "Mila": ["mila", "mila - quebec ai institute"],
    "University of Edinburgh": ["edinburgh"],
    "Imperial College London": ["imperial college"],
    "Max Planck Institute": ["max planck"],
    "University of Hong Kong": ["hku"],
    "CUHK": ["cuhk", "chinese university of hong kong"],
    "HKUST": ["hkust"],
    "National University of Singapore": ["nus"],
    "Nanyang Technological University": ["ntu singapore"],
    "Zhejiang University": ["zju", "zhejiang"],
    "Fudan University": ["fudan"],
    "Shanghai Jiao Tong University": ["sjtu"],
    "USTC": ["ustc"],
    "Chinese Academy of Sciences": ["casia"],
    "Renmin University of China": ["renmin"],
    "Nanjing University": ["nju"],
    "POSTECH": ["postech", "포스텍"],
    "Yonsei University": ["yonsei", "연세대", "연세대학교"],
    "Korea University": ["고려대", "고려대학교"],
    "Sungkyunkwan University": ["skku", "성균관대"],
    "UNIST": ["unist"],
    "KAIST AI": ["kaist ai"],
    "Cohere": ["cohere", "cohere for ai"],
    "AI21 Labs": ["ai21", "ai21 labs"],
    "Databricks": ["databricks"],
    "MosaicML": ["mosaicml"],
    "EleutherAI": ["eleutherai", "eleuther"],
    "Together AI": ["together ai", "togethercomputer"],
    "Weights & Biases": ["w&b", "wandb"],
    "MiniMax": ["minimax"],
    "SenseTime": ["sensetime"],
    "Kuaishou": ["kuaishou", "kwai"],
    "Meituan": ["meituan"],
    "Ant Group": ["ant group", "antgroup"],
    "JD": ["jd.com"],
    "01.AI": ["01.ai", "01ai"],
}
ORG_VARIANTS = {v: canon for canon, vs in ORGS.items() for v in vs + [canon.lower()]}
