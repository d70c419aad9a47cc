# Over-optimization: gains against √KL for best-of-N and for PPO, with Gao et al.'s fits
# Render from this directory: gnuplot over-optimization.gp  (writes over-optimization.png)
if (!exists("outfile")) outfile = 'over-optimization.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Over-optimization: gains against √KL for best-of-N and for PPO, with Gao et al.''s fits'
set xlabel 'd = √KL(π ‖ π_SFT) (√nats)'
set ylabel 'gain (standard deviations)'
set key top right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'over-optimization.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'best-of-N: reward (std of SFT rewards)', \
     'over-optimization.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'best-of-N: gold gain (std of SFT gold)', \
     'over-optimization.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'fit d(1.60 − 0.21 d)', \
     'over-optimization.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'PPO (kl_coef 0): gold gain (std)', \
     'over-optimization.dat' index 4 using 1:2 with lines lw 2 lc 5 title 'PPO (kl_coef 0.02): gold gain (std)', \
     'over-optimization.dat' index 5 using 1:2 with lines lw 2 lc 6 title 'PPO (kl_coef 0.05): gold gain (std)', \
     'over-optimization.dat' index 6 using 1:2 with lines lw 2 lc 7 title 'PPO (kl_coef 0.2): gold gain (std)', \
     'over-optimization.dat' index 7 using 1:2 with lines lw 2 lc 8 title 'fit d(0.39 − 0.13 log d)'
